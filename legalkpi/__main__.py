from legalkpi.cli import main

main()
