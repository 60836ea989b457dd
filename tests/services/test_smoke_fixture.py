def test_log_case_creates_reference_and_event(make_case):
    from tracker.services.timeline import timeline

    logged = make_case()
    assert logged.case.reference.startswith("GRV-")
    assert [e.kind for e in timeline(logged.case)] == ["created"]
