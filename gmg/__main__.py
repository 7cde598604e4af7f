from gmg.cli import main

raise SystemExit(main())
