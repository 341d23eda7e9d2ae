"""Widgets of the console. They render what they are given; none holds exercise state."""
