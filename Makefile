# Key Account Management for Odoo 18. Every target runs scripts/ka.sh, which finds Odoo as
# `$${ODOO_PYTHON:-python3} -m odoo` and uses PGHOST/PGPORT/PGUSER/PGPASSWORD or a private PostgreSQL.
.PHONY: run test bench db lint help

help:
	@echo "make run    serve the demo database on http://localhost:8069 (built on first run)"
	@echo "make test   every module's tests on a fresh database, then the pytest-odoo suite in tests/"
	@echo "make bench  benchmarks of the hot paths (BENCH_ARGS='--with-10000' for N=10000)"
	@echo "make lint   pre-commit: ruff, ruff-format, pylint-odoo"

run:
	@scripts/ka.sh run

test:
	@scripts/ka.sh test

bench:
	@scripts/ka.sh bench $(BENCH_ARGS)

db:
	@scripts/ka.sh db

lint:
	pre-commit run --all-files
