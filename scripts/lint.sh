#!/bin/bash
[ "${1:-}" = --ktap ] && echo "ok - lint placeholder"
