# The two commands of README.md. Each creates the environment it needs first: the demo only
# what a screen needs, the tests also PostgreSQL and the display test tools.
.PHONY: demo test

demo:
	./scripts/bootstrap
	.venv/bin/lineside demo

test:
	./scripts/bootstrap --for-tests
	./scripts/check
