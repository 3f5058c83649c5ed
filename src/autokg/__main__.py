from autokg.cli import main

main()
