"""Evaluation on plain arrays and word lists: neighbours, word similarity, analogies, and
reconstruction mean rank / MAP for embedded hierarchies. Imports no model module.
"""
from __future__ import annotations

import numpy as np
