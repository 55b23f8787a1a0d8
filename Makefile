# Cairn: the two-command quick start (`make up`, `make test`) and the other entry points.
.PHONY: bootstrap build up down status test bench clean

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	@pnpm -s run build

up: build
	@node packages/cli/dist/src/main.js up --detach
	@echo "Try: ls -la mnt && cp -r packages mnt/ && ./bin/cairn status"

down:
	@node packages/cli/dist/src/main.js down

status:
	@node packages/cli/dist/src/main.js status

test: build
	@node scripts/test.mjs

bench: build
	@node test/dist/bench/bench.js

clean:
	rm -rf packages/*/dist test/dist packages/*/tsconfig.tsbuildinfo
