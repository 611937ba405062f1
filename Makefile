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

KREL := $(shell uname -r)
KDIR ?= /lib/modules/$(KREL)/build
MDIR ?= $(CURDIR)/src

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

install: modules tools tools
	$(MAKE) -C $(KDIR) M=$(MDIR) modules_install
	$(MAKE) -C tools install

.PHONY: tools
tools:
	$(MAKE) -C tools

.PHONY: bench
bench:
	scripts/bench.sh
