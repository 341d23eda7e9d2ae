from krise_ovelse.cli import main

main(prog_name="krise-ovelse")
