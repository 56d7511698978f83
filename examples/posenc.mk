# examples/posenc.mk - the compile and link flags of an installed libposenc, from pkg-config, for
# the examples' Makefiles: POSENC_CFLAGS, and POSENC_LIBS for LINK=shared (the default) or
# LINK=static. Set PKG_CONFIG_PATH to <prefix>/lib/pkgconfig unless posenc is installed where
# pkg-config looks anyway.
PKG_CONFIG ?= pkg-config
LINK ?= shared

ifeq ($(filter $(LINK),shared static),)
$(error LINK is shared or static, not '$(LINK)')
endif
ifneq ($(MAKECMDGOALS),clean)
ifneq ($(shell $(PKG_CONFIG) --exists posenc && echo yes),yes)
$(error $(PKG_CONFIG) does not find posenc: set PKG_CONFIG_PATH to <prefix>/lib/pkgconfig)
endif
# snippet-begin: use
POSENC_CFLAGS := $(shell $(PKG_CONFIG) --cflags posenc)
POSENC_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir posenc)
ifeq ($(LINK),static)
# libposenc.a by its path (-lposenc would take the .so beside it), then what the archive needs
# itself: Libs.private and Requires.private, which --static adds
POSENC_LIBS := $(POSENC_LIBDIR)/libposenc.a \
               $(filter-out -lposenc,$(shell $(PKG_CONFIG) --static --libs posenc))
else
# libposenc.so, found at run time where it is installed
POSENC_LIBS := $(shell $(PKG_CONFIG) --libs posenc) -Wl,-rpath,$(POSENC_LIBDIR)
endif
# snippet-end: use
endif
