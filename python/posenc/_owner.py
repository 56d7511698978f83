# posenc/_owner.py - the lifetime plans and weights share: close(), `with` and collection free.


class Owner:
    """An object holding memory of the library. Subclasses define close(), which must be safe
    to call twice."""

    def close(self):
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # at interpreter exit the library may already be gone: nothing to report then
        try:
            self.close()
        except Exception:
            pass


def query(function, doc):
    """A read-only property calling the library's `function` on the object's live handle."""
    from ._library import library
    return property(lambda self: getattr(library(), function)(self._live()), doc=doc)
