"""UN drug-policy commitment assistant: verbatim, cited answers over the 2009, 2014 and 2016 texts."""

__version__ = "0.1.0"
