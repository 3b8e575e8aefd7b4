"""mediadesk.media: reading and writing photo/video/audio files (core; never imports Qt).

Public API (others code against exactly this):

- ``SUPPORTED_EXTENSIONS``, ``kind_for_path(path)``, ``sniff_kind(head)``
- ``formats``: the format families (one adapter class per family, media/formats/) and their
  registry: ``formats.for_format(name)``, ``formats.identify(path, head)``, ``formats.Carrier``
- ``probe(path, *, data=None, thumbnail_to=None) -> ProbeResult``
- ``embed_metadata(data, fields, *, fmt=None) -> (bytes, warnings)``, ``can_embed(fmt)``
- ``xmp_sidecar_bytes(fields, *, existing=None)``, ``sidecar_path_for(path)``
- ``image_data_fingerprint(data, fmt=None)``, ``same_image_data(before, after, fmt=None)``,
  ``read_metadata_bytes(data)``

Process-wide effects of importing it: Pillow's MAX_IMAGE_PIXELS is set to 200 MP and
DecompressionBombWarning is raised as an error; pillow-heif's opener is registered; exiv2 and
FFmpeg logging is silenced (problems are reported as warnings in ProbeResult instead).
"""

from . import formats, thumbnails as thumbnails, video as video  # imported for the process-wide settings above
from .formats.registry import SUPPORTED_EXTENSIONS, kind_for_path, sniff_kind
from .probe import ProbeResult, probe
from .sidecar import sidecar_path_for, xmp_sidecar_bytes
from .write import can_embed, embed_metadata, image_data_fingerprint, read_metadata_bytes, same_image_data

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ProbeResult",
    "can_embed",
    "embed_metadata",
    "formats",
    "image_data_fingerprint",
    "kind_for_path",
    "probe",
    "read_metadata_bytes",
    "same_image_data",
    "sidecar_path_for",
    "sniff_kind",
    "xmp_sidecar_bytes",
]
