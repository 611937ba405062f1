# SPDX-License-Identifier: GPL-2.0
# vnet: a thin wrapper around kbuild, plus the project's entry points.
#
#   make              build src/vnet.ko for the running kernel (its headers:
#                     /lib/modules/$(uname -r)/build)
#   make KDIR=...     build against another kbuild tree
#   make lint         W=1, sparse, checkpatch --strict, kernel-doc: no findings
#   make test         the whole suite on every kernel of the matrix
#   make demo         boot a VM, load vnet, show traffic
#   make tools        build tools/vnetctl (needs libmnl-dev)
#   make install      install the module into KDIR's kernel, vnetctl into /usr/local/sbin
#   make uninstall    remove what make install installed
#   make dkms-install copy the module's sources to /usr/src/vnet-VERSION and
#                     let DKMS build and install it for the running kernel
#                     (and rebuild it for every kernel installed later)
#   make dkms-remove  remove it from DKMS and /usr/src

KREL := $(shell uname -r)
KDIR ?= /lib/modules/$(KREL)/build
MDIR ?= $(CURDIR)/src
# The module's version, as modinfo reports it; DKMS's package version.
VERSION := $(shell sed -n 's/^\#define VNET_DRV_VERSION[[:space:]]*"\(.*\)"/\1/p' $(CURDIR)/src/vnet.h)
# Where dkms-install puts the sources; DKMS_FLAGS adds options to every
# dkms call, DKMS_KERNEL_FLAGS to its install (scripts/install-test.sh
# gives them scratch trees, --dkmstree/--sourcetree/--installtree, and
# another kernel than the running one, -k/--kernelsourcedir).
DKMS_SRC ?= /usr/src/vnet-$(VERSION)
DKMS_FLAGS ?=
DKMS_KERNEL_FLAGS ?=

# Said before kbuild is asked, which would only say "No such file".
define no_kdir
no kbuild tree at $(KDIR). For the running kernel install its headers
(Debian, Ubuntu: apt install linux-headers-$(KREL); Fedora: dnf install
kernel-devel-$(KREL)), or name another tree with KDIR=/path (the
project's VMs run Debian's 6.1: scripts/kernels.sh 6.1 installs its
headers, then KDIR=/lib/modules/6.1.0-NN-amd64/build).
endef
export no_kdir

.PHONY: all modules clean lint test demo install
all: modules tools

modules:
ifeq ($(origin KDIR),file)
	@test -f "$(KDIR)/Makefile" || { echo "$$no_kdir" >&2; exit 1; }
else
	@test -f "$(KDIR)/Makefile" || { echo "KDIR=$(KDIR) is no kbuild tree (it has no Makefile)" >&2; exit 1; }
endif
	$(MAKE) -C $(KDIR) M=$(MDIR) modules

# Without the tree the module was built against, kbuild cannot clean:
# its products are removed by name.
clean:
	if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(MDIR) clean; else \
		rm -f $(MDIR)/*.o $(MDIR)/*.ko $(MDIR)/*.mod $(MDIR)/*.mod.c $(MDIR)/.*.cmd \
			$(MDIR)/modules.order $(MDIR)/Module.symvers; fi
	$(MAKE) -C tools clean
	rm -rf build

lint:
	scripts/lint.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

install: modules tools
	$(MAKE) -C $(KDIR) M=$(MDIR) modules_install
	$(MAKE) -C tools install

# What modules_install put in KDIR's kernel (its "extra" directory), and
# what tools/ installed.
# (kbuild puts an external module in "extra", or "updates" on newer
# kernels; DKMS's own go to updates/dkms, which stay.)
.PHONY: uninstall
uninstall:
	krel=$$(sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
		$(KDIR)/include/generated/utsrelease.h) && [ -n "$$krel" ] && \
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$$krel/extra/vnet.ko* \
		$(INSTALL_MOD_PATH)/lib/modules/$$krel/updates/vnet.ko* && \
	{ depmod -a $${INSTALL_MOD_PATH:+-b $(INSTALL_MOD_PATH)} $$krel 2>/dev/null || true; }
	$(MAKE) -C tools uninstall

# The module without the tools: what DKMS cleans between builds.
.PHONY: clean-module
clean-module:
	rm -f $(MDIR)/*.o $(MDIR)/*.ko $(MDIR)/*.mod $(MDIR)/*.mod.c $(MDIR)/.*.cmd \
		$(MDIR)/modules.order $(MDIR)/Module.symvers

.PHONY: dkms-install dkms-remove
dkms-install:
	@grep -q '^PACKAGE_VERSION="$(VERSION)"$$' dkms.conf || \
		{ echo "dkms.conf's PACKAGE_VERSION is not $(VERSION) (src/vnet.h)" >&2; exit 1; }
	@command -v dkms > /dev/null || \
		{ echo "dkms is not installed (Debian, Ubuntu: apt install dkms)" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/src
	cp src/*.[ch] src/Kbuild $(DKMS_SRC)/src/
	cp Makefile dkms.conf $(DKMS_SRC)/
	dkms add -m vnet -v $(VERSION) $(DKMS_FLAGS)
	dkms install -m vnet -v $(VERSION) $(DKMS_FLAGS) $(DKMS_KERNEL_FLAGS)

dkms-remove:
	-dkms remove -m vnet -v $(VERSION) --all $(DKMS_FLAGS)
	rm -rf $(DKMS_SRC)

.PHONY: tools
tools:
	$(MAKE) -C tools

.PHONY: bench
bench:
	scripts/bench.sh
