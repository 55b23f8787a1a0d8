# Cairn: the two-command quick start (`make up`, `make test`) and the other entry points.
.PHONY: bootstrap build up down status test test-containers bench clean

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
	@cd docker/test && npm ci --no-fund --no-audit --loglevel=error
	@node scripts/test.mjs

# Containers: the Kubernetes manifests against the Kubernetes schemas (seconds), then the image
# built from docker/Containerfile and the sidecar example run with podman (minutes; needs root).
test-containers: bootstrap
	@cd docker/test && npm ci --no-fund --no-audit --loglevel=error
	@node docker/test/manifests.test.mjs
	@bash docker/test/podman-test.sh

bench: build
	@node test/dist/bench/bench.js

clean:
	rm -rf packages/*/dist test/dist packages/*/tsconfig.tsbuildinfo
