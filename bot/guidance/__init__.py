"""Guidance: the route rules (``rules``), the advice they lead to (``advice``), the topics that
answer questions (``topics``), who answers what the assistant cannot (``asking``), the
interview's questions (``interview``), and the text: full views for staff (``views``) and
short chat replies for residents (``chat``)."""
