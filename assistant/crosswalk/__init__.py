"""The 2016 ↔ 2009 crosswalk table as typed links, read in both directions."""
