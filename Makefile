# SPDX-License-Identifier: GPL-2.0
# vnet: a thin wrapper around kbuild, plus the project's entry points.
#
#   make              build src/vnet.ko against Debian bookworm's 6.1 tree
#   make KDIR=...     build against another kbuild tree
#   make lint         W=1, sparse, checkpatch --strict, kernel-doc: no findings
#   make test         the whole suite on every kernel of the matrix
#   make demo         boot a VM, load vnet, show traffic
#   make tools        build tools/vnetctl (needs libmnl-dev)
#   make install      install the module into KDIR's kernel, vnetctl into /usr/local/sbin

KDIR ?= $(lastword $(sort $(wildcard /lib/modules/6.1.*-amd64/build)))
MDIR ?= $(CURDIR)/src

.PHONY: all modules clean lint test demo install
all: modules tools

modules:
	@test -n "$(KDIR)" || { echo "no 6.1 kbuild tree: run scripts/kernels.sh 6.1 or set KDIR="; exit 1; }
	$(MAKE) -C $(KDIR) M=$(MDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(MDIR) clean
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
