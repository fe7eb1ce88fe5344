"""`python -m bot` is `iscg-bot`."""

from bot.cli import main

raise SystemExit(main())
