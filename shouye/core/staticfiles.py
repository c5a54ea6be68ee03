"""The storage of static files in production (``DEBUG=false``)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage — names carry a hash of the content, so browsers may keep them for a
    year — with gzip copies only. Brotli at its default quality took 57 of the 60 CPU seconds of a
    ``collectstatic`` on two cores, for copies that nginx, which serves ``/static/`` itself (README), does
    not send; nginx sends the gzip copies (``gzip_static``), and so does WhiteNoise without nginx."""

    def create_compressor(self, **kwargs):
        return super().create_compressor(use_brotli=False, **kwargs)
