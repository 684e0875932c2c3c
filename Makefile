# The two commands of README.md. Each creates the environment it needs first.
.PHONY: demo test env

env:
	./scripts/bootstrap

demo: env
	.venv/bin/lineside demo

test: env
	./scripts/check
