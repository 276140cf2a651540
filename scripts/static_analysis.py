"""Static analysis for `./run test`: slither over every contract, triaged against
slither.accepted.yaml. Fails on any High or Medium result in contracts/ or interfaces/ that the
file does not accept with a reason. See eport/static_analysis.py for the options."""

import sys

from eport.static_analysis import main

if __name__ == "__main__":
    sys.exit(main())
