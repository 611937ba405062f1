# SPDX-License-Identifier: GPL-2.0
# vnet: a thin wrapper around kbuild, plus the project's entry points.
#
#   make              build src/vnet.ko against Debian bookworm's 6.1 tree
#   make KDIR=...     build against another kbuild tree
#   make lint         W=1, sparse, checkpatch --strict, kernel-doc: no findings
#   make test         the whole suite on every kernel of the matrix
#   make demo         boot a VM, load vnet, show traffic
#   make install      install the module into the running kernel's tree

KDIR ?= $(lastword $(sort $(wildcard /lib/modules/6.1.*-amd64/build)))
MDIR ?= $(CURDIR)/src

.PHONY: all modules clean lint test demo install
all: modules

modules:
	@test -n "$(KDIR)" || { echo "no 6.1 kbuild tree: run scripts/kernels.sh 6.1 or set KDIR="; exit 1; }
	$(MAKE) -C $(KDIR) M=$(MDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(MDIR) clean
	rm -rf build

lint:
	scripts/lint.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

install: modules
	$(MAKE) -C $(KDIR) M=$(MDIR) modules_install
