from mediadesk.cli.main import run

raise SystemExit(run())
