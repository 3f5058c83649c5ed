"""``python -m autokg``: the same as the ``autokg`` command."""

if __name__ == "__main__":
    from autokg.cli import main

    main()
