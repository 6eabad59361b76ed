"""An add running in a background thread, so it completes (or rolls back) whatever the page that started it does."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from assistant.errors import AssistantError, DocumentRejected
from assistant.ingest.documents import AddReport, add_document


class AddJob:
    """`add_document` over uploaded bytes in its own thread; a page polls `done`, `progress`, `report`, `error`.

    The upload is copied to a private temporary file first, so the job never depends on the page's
    objects; `add_document` itself writes nothing until the index copy is ready and restores
    everything if it fails, so a job is all or nothing even when nobody watches it.
    """

    def __init__(self, settings, data: bytes, filename: str, key: str, title: str, year: int, encoder=None):
        self.settings, self.encoder = settings, encoder
        self.data, self.filename = data, Path(filename).name or "upload.pdf"  # directories in the name are dropped
        self.key, self.title, self.year = key, title, year
        self.stage = "Waiting to start"
        self.progress = 0.0
        self.report: AddReport | None = None
        self.error: str | None = None
        self.rejected = False  # the file or the form was refused (nothing was written), not a failure
        self._thread = threading.Thread(target=self._run, name=f"add-{key}", daemon=False)

    def start(self) -> "AddJob":
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def done(self) -> bool:
        return self.report is not None or self.error is not None

    def _on_progress(self, done: int, total: int) -> None:
        self.stage = f"Embedded {done} of {total} passages"
        self.progress = 0.1 + 0.8 * done / max(total, 1)

    def _run(self) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="assistant-add-"))
        try:
            path = tmp / self.filename
            path.write_bytes(self.data)
            self.stage, self.progress = "Reading the document", 0.05
            report = add_document(self.settings, path, self.key, self.title, self.year, self.encoder, self._on_progress)
            self.stage, self.progress, self.report = "Done", 1.0, report
        except DocumentRejected as err:
            self.rejected, self.error = True, str(err)
        except AssistantError as err:
            self.error = f"The document could not be added: {err}"
        except Exception as err:  # noqa: BLE001  (a thread has nobody to raise to: the page shows it)
            self.error = f"The document could not be added ({type(err).__name__}: {err}); nothing was changed."
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
