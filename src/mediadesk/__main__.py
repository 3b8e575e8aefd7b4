from mediadesk.cli.main import main

raise SystemExit(main())
