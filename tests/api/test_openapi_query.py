"""Filters of list endpoints are documented as query parameters."""


def _parameters(client, path: str) -> dict[str, dict]:
    spec = client.get("/api/v1/openapi.json").get_json()
    return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"] if "name" in p}


def test_shift_filters_are_documented_as_query_parameters(client):
    params = _parameters(client, "/api/v1/shifts")
    assert {"from", "to", "task_id"} <= set(params)
    assert params["from"]["in"] == "query"
    assert params["from"]["schema"]["format"] == "date"


def test_task_status_filter_lists_the_statuses(client):
    params = _parameters(client, "/api/v1/tasks")
    assert "submitted" in params["status"]["schema"]["enum"]
