"""Shared by every test: the batch door's suggester memo lives in a folder of the test run's own,
never in the user's cache."""

import os
import tempfile

os.environ["COMPLAINT_RECORD_CACHE"] = tempfile.mkdtemp(prefix="complaint-record-tests-")
