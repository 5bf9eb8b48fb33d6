"""pdscan: finds Russian personal data in files and shares."""

# Bump when detection can give different findings for the same bytes (recognizers, extractors,
# masking): stored findings of unchanged files are reused only while this matches
# (pdscan.store.detector_version adds the NER mode, OCR flag and archive depth).
DETECTOR_VERSION = "4"  # 4: LOCATION read only around anchors that can belong to an address
# 3: pictures inside office documents are OCR-read
