"""The demo library: NATO press photos and videos of five events, drawn and encoded on this
machine (nothing is downloaded) and imported through the normal import.

It is a package of its own, beside the use cases: ``content.py`` says what the events were
(galleries, captions, people, credits, rights), ``drawing.py`` and ``scenes.py`` draw the
pictures, ``video.py`` encodes the photos and clips, ``library.py`` builds the library into a
catalog (``mediadesk demo``, the window's welcome page, the packaging self-test).
"""

from mediadesk.demo.library import (
    LABEL_DRAWING,
    LABEL_ENCODING,
    LABEL_IMPORTING,
    MEDIA_FOLDER,
    build_demo_library,
    default_media_dir,
    make_photo,
)

__all__ = ["LABEL_DRAWING", "LABEL_ENCODING", "LABEL_IMPORTING", "MEDIA_FOLDER", "build_demo_library",
           "default_media_dir", "make_photo"]
