"""The demo library: NATO press photos, videos and press releases of ten events, drawn, encoded
and written on this machine (nothing is downloaded) and imported through the normal import.

It is a package of its own, beside the use cases: ``content.py`` says what the events were
(galleries, captions, people, credits, rights), ``drawing.py`` and ``scenes.py`` draw the
pictures, ``video.py`` encodes the photos and clips, ``documents.py`` writes the press releases
(PDF, HTML), the chapters and the transcript from the seed text, ``library.py`` builds the library into a
catalog (``mediadesk demo``, the window's welcome page, the packaging self-test).
"""

from mediadesk.demo.library import (
    LABEL_DRAWING,
    LABEL_ENCODING,
    LABEL_IMPORTING,
    LABEL_WRITING,
    MEDIA_FOLDER,
    build_demo_library,
    default_media_dir,
    make_photo,
)

__all__ = ["LABEL_DRAWING", "LABEL_ENCODING", "LABEL_IMPORTING", "LABEL_WRITING", "MEDIA_FOLDER",
           "build_demo_library", "default_media_dir", "make_photo"]
