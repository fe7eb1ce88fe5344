"""`python -m bot` is `iscg-bot`."""

from bot.cli import main

# Guarded: the mail reader's worker process imports the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
