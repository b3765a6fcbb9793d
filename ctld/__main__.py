import sys

from ctld.cli import main

sys.exit(main())
