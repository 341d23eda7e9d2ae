"""A national exercise on the shared PostgreSQL store: one control cell, many organisations.

    setup       the participants file, the exercise and its streams, database roles and grants
    control     the control cell (øvingsledelse): the lease, the clock as data, releases to all
                or some organisations, every organisation's status
    org         an organisation's client: its own stream, folded with the control stream
    evaluator   an evaluator's stream: observations and ratings of one organisation
    report      the national report: a chapter per organisation and what they share

Streams: the control stream holds the control cell's commands (clock, releases, ad-hoc injects
with their addressees); each organisation's stream is an ordinary session whose events its
client derives from the control stream and its own decisions, recording in the same
transaction the control position it has applied; each evaluator's stream holds observations
and ratings. No stream has two writers; the database enforces it (see store/pg_schema.py).
"""
