from ptce_typology.cli import main

main()
