from xlbudget.cli import main

raise SystemExit(main())
