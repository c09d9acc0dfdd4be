"""Explanations a person understands, with stable codes for translation.

* :func:`explain_unfilled`: for every shift with open slots, a funnel over all
  participants not on the shift: how many each rule excludes, in a fixed order
  (plan dates, holiday, days away, availability, skills, avoided kinds,
  supervision, orientation, then the coupling rules against the roster: other
  shifts at the same time, hours per day, days per week, hours per week, earnings
  ceiling, instructor capacity). Each participant is counted once, under the first
  rule that stops them, so the counts add up.
* :func:`explain_pair`: why one participant is not on one shift: every rule that
  stops them, or that the objective preferred the people chosen.

The English strings are for logs, the command line and the API; the web layer
translates from ``code`` and ``params``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .model import Instance, Reason, ReasonCode, Solution, UnfilledExplanation
from .rules import PAIR_RULE_ORDER, Context, PlanState

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hours(minutes: int) -> str:
    h, m = divmod(int(minutes), 60)
    return f"{h} h" if not m else f"{h} h {m} min"


def _plural(n: int, one: str, many: str) -> str:  # "1 slot", "2 slots"
    return f"{n} {one if n == 1 else many}"


def describe_shift(ctx: Context, s: int) -> str:
    shift = ctx.shifts[s]
    kind = ctx.instance.kind_names.get(shift.kind, shift.kind)
    site = ctx.sites[ctx.s_site[s]]
    place = site.name or site.id
    return (
        f"{WEEKDAYS[shift.start.weekday()]} {shift.start.day}.{shift.start.month}. "
        f"{shift.start:%H:%M}–{shift.end:%H:%M}, {kind} at {place}"
    )


def _skill(ctx: Context, code: str) -> str:
    return ctx.instance.skill_names.get(code, code)


def _when(ctx: Context, s: int) -> str:
    shift = ctx.shifts[s]
    return f"{WEEKDAYS[shift.start.weekday()]} {shift.start:%H:%M}–{shift.end:%H:%M}"


# ------------------------------------------------------------ reason messages


def unfilled_reason(ctx: Context, s: int, code: ReasonCode, n: int, params: dict) -> Reason:
    """One line of the funnel: ``n`` people stopped by ``code`` for shift ``s``."""
    shift = ctx.shifts[s]
    day = f"{shift.start.date():%-d.%-m.%Y}"
    one = n == 1

    def say(singular: str, plural: str) -> str:
        return f"{n} {singular if one else plural}"

    if code is ReasonCode.PLAN_DATES:
        text = say("participant has", "participants have") + f" no plan in force on {day}"
    elif code is ReasonCode.HOLIDAY:
        text = say("participant does", "participants do") + f" not work on the public holiday {day}"
        if not shift.holiday_work_allowed:
            text = f"{day} is a public holiday and this task is not done on holidays"
    elif code is ReasonCode.DAY_AWAY:
        text = say("participant is", "participants are") + " away that day"
    elif code is ReasonCode.AVAILABILITY:
        text = say("participant is", "participants are") + f" not available on {_when(ctx, s)}"
    elif code is ReasonCode.SKILLS:
        missing = params.get("missing", [])
        if len(shift.required_skills) == 1:
            text = (
                say("participant lacks", "participants lack")
                + f" the skill '{_skill(ctx, missing[0])}'"
            )
        else:
            names = ", ".join(f"'{_skill(ctx, k)}'" for k in missing)
            text = say("participant lacks", "participants lack") + f" a required skill ({names})"
    elif code is ReasonCode.AVOIDED_KIND:
        kind = ctx.instance.kind_names.get(shift.kind, shift.kind)
        text = say("participant avoids", "participants avoid") + f" the task kind '{kind}'"
    elif code is ReasonCode.SUPERVISION:
        text = say("participant needs", "participants need") + (
            " an instructor on site and the shift has none"
            if ctx.s_instructor[s] < 0
            else " supervision the shift cannot give"
        )
    elif code is ReasonCode.ORIENTATION:
        text = (
            say("participant would be", "participants would be")
            + " new to the task kind or site (orientation) and no instructor is on site"
        )
    elif code is ReasonCode.OVERLAP:
        text = say("participant", "participants") + (
            " who could do it already works another shift at that time or too close to it"
            if one
            else " who could do it already work another shift at that time or too close to it"
        )
    elif code is ReasonCode.DAILY_HOURS:
        text = say("participant", "participants") + (
            " who could do it would go over the hours allowed for that day"
        )
    elif code is ReasonCode.DAYS_PER_WEEK:
        text = say("participant", "participants") + (
            " who could do it has reached the days per week allowed"
            if one
            else " who could do it have reached the days per week allowed"
        )
    elif code is ReasonCode.WEEKLY_HOURS:
        text = say("participant", "participants") + (
            " who could do it has reached the weekly hours allowed"
            if one
            else " who could do it have reached the weekly hours allowed"
        )
    elif code is ReasonCode.EARNINGS_CEILING:
        text = say("participant", "participants") + (
            " who could do it would go over the monthly earnings ceiling"
        )
    elif code is ReasonCode.INSTRUCTOR_CAPACITY:
        text = say("participant", "participants") + (
            " who could do it needs instructor capacity that is already used"
            if one
            else " who could do it need instructor capacity that is already used"
        )
    elif code is ReasonCode.COULD_BE_ADDED:
        text = (
            say("participant", "participants") + " could still be added (the roster is not optimal)"
        )
    else:  # pragma: no cover - every funnel code is handled above
        text = say("participant", "participants") + f": {code}"
    return Reason(code, text, n, params)


def explain_unfilled(
    ctx: Context, failures: dict[ReasonCode, np.ndarray], state: PlanState
) -> list[UnfilledExplanation]:
    out: list[UnfilledExplanation] = []
    for s in range(ctx.nS):
        shift = ctx.shifts[s]
        open_slots = shift.slots - state.filled[s]
        if open_slots <= 0:
            continue
        remaining = np.ones(ctx.nP, bool)
        for p, t in state.pairs:
            if t == s:
                remaining[p] = False
        reasons: list[Reason] = []
        for code in PAIR_RULE_ORDER:
            hit = remaining & failures[code][:, s]
            n = int(hit.sum())
            if not n:
                continue
            params: dict = {}
            if code is ReasonCode.SKILLS:
                lacking: Counter[str] = Counter()
                for p in np.flatnonzero(hit):
                    lacking.update(shift.required_skills - ctx.participants[p].skills)
                params["missing"] = sorted(lacking, key=lambda k: (-lacking[k], k))
            reasons.append(unfilled_reason(ctx, s, code, n, params))
            remaining &= ~hit
        coupling: Counter[ReasonCode] = Counter()
        for p in np.flatnonzero(remaining):
            blocked = state.blocking(int(p), s)
            coupling[blocked[0][0] if blocked else ReasonCode.COULD_BE_ADDED] += 1
        order = [
            ReasonCode.OVERLAP,
            ReasonCode.DAILY_HOURS,
            ReasonCode.DAYS_PER_WEEK,
            ReasonCode.WEEKLY_HOURS,
            ReasonCode.EARNINGS_CEILING,
            ReasonCode.INSTRUCTOR_CAPACITY,
            ReasonCode.COULD_BE_ADDED,
        ]
        for code in order:
            if coupling[code]:
                reasons.append(unfilled_reason(ctx, s, code, coupling[code], {}))
        head = (
            f"{_plural(open_slots, 'slot', 'slots')} of {shift.slots} unfilled on "
            f"{describe_shift(ctx, s)}"
        )
        if not reasons:
            body = "there are no participants in this planning run"
        else:
            eligible_before_coupling = sum(coupling.values())
            body = "; ".join(r.message for r in reasons)
            if eligible_before_coupling == 0:
                body = f"no participant can take it: {body}"
        out.append(UnfilledExplanation(shift.id, open_slots, f"{head}: {body}.", tuple(reasons)))
    return out


# ------------------------------------------------------------------ one pair


def pair_reason(ctx: Context, p: int, s: int, code: ReasonCode, params: dict) -> Reason:
    """Why participant ``p`` cannot take shift ``s``, in a sentence about them."""
    part, shift = ctx.participants[p], ctx.shifts[s]
    who = part.name or part.id
    params = dict(params)
    if code is ReasonCode.PLAN_DATES:
        text = (
            f"{who}'s plan runs {params['plan_start']} to {params['plan_end']}, "
            f"not on {shift.start.date().isoformat()}"
        )
    elif code is ReasonCode.HOLIDAY:
        text = f"{shift.start.date().isoformat()} is a public holiday and {who} does not work then"
        if not shift.holiday_work_allowed:
            text = (
                f"{shift.start.date().isoformat()} is a public holiday and the task is not "
                "done on holidays"
            )
    elif code is ReasonCode.DAY_AWAY:
        text = f"{who} is away on {shift.start.date().isoformat()}"
    elif code is ReasonCode.AVAILABILITY:
        text = f"{who} is not available on {_when(ctx, s)}"
    elif code is ReasonCode.SKILLS:
        names = ", ".join(f"'{_skill(ctx, k)}'" for k in params["missing"])
        text = (
            f"{who} lacks the skill {names}"
            if len(params["missing"]) == 1
            else f"{who} lacks the skills {names}"
        )
    elif code is ReasonCode.AVOIDED_KIND:
        text = f"{who} avoids the task kind '{ctx.instance.kind_names.get(shift.kind, shift.kind)}'"
    elif code is ReasonCode.SUPERVISION:
        level = params["level"]
        text = (
            f"{who} needs an instructor on site (supervision level {level}) and the shift has none"
            if level >= 2
            else f"{who} needs someone reachable (supervision level 1): the site does not "
            "supervise, no instructor is on site and their own instructor is not available then"
        )
    elif code is ReasonCode.ORIENTATION:
        new = (
            "task kind and site"
            if params["new_kind"] and params["new_site"]
            else ("task kind" if params["new_kind"] else "site")
        )
        text = (
            f"this would be {who}'s first shift on this {new} (orientation), which needs "
            "an instructor on site"
        )
    elif code is ReasonCode.SLOTS_FULL:
        text = f"all {params['slots']} slots of the shift are taken"
    elif code is ReasonCode.OVERLAP:
        others = params.get("shifts", [])
        text = f"{who} works another shift at that time or too close to it to travel"
        if others:
            text += f" ({', '.join(others)})"
    elif code is ReasonCode.DAILY_HOURS:
        text = (
            f"{who} already has {_hours(params['planned_minutes'])} that day and the limit is "
            f"{_hours(params['limit_minutes'])}"
        )
    elif code is ReasonCode.DAYS_PER_WEEK:
        text = (
            f"{who} already works {params['planned_days']} days this week, "
            f"the limit is {params['limit_days']}"
        )
    elif code is ReasonCode.WEEKLY_HOURS:
        text = (
            f"{who} already has {_hours(params['planned_minutes'])} this week and the limit is "
            f"{_hours(params['limit_minutes'])}"
        )
    elif code is ReasonCode.EARNINGS_CEILING:
        text = f"the shift's pay would take {who} over their earnings ceiling for {params['month']}"
    elif code is ReasonCode.INSTRUCTOR_CAPACITY:
        text = (
            f"{who} needs {params['needed']} of the instructor's capacity of {params['capacity']}, "
            "and it is already used"
        )
    else:  # pragma: no cover
        text = str(code)
    return Reason(code, text, None, params)


def explain_pair(
    instance: Instance | Context, solution: Solution, participant_id: str, shift_id: str
) -> list[Reason]:
    """Why ``participant_id`` is not on ``shift_id`` in ``solution``."""
    ctx = instance if isinstance(instance, Context) else Context(instance)
    if participant_id not in ctx.p_index:
        raise KeyError(f"unknown participant {participant_id!r}")
    if shift_id not in ctx.s_index:
        raise KeyError(f"unknown shift {shift_id!r}")
    p, s = ctx.p_index[participant_id], ctx.s_index[shift_id]
    part = ctx.participants[p]
    who = part.name or part.id
    if (p, s) in ctx.locked_set:
        return [Reason(ReasonCode.LOCKED, f"{who} is on this shift (locked)")]
    state = PlanState(ctx)
    for a in solution.assignments:
        pair = (ctx.p_index[a.participant], ctx.s_index[a.shift])
        if pair not in ctx.locked_set:
            state.add(*pair)
    if (p, s) in state.pairs:
        return [Reason(ReasonCode.ASSIGNED, f"{who} is proposed for this shift")]
    reasons = [pair_reason(ctx, p, s, code, params) for code, params in ctx.pair_failures(p, s)]
    blocking = state.blocking(p, s, first_only=False)
    for code, params in blocking:
        if code is ReasonCode.SLOTS_FULL:
            continue
        if code is ReasonCode.OVERLAP:
            params = {"shifts": _clashing(ctx, state, p, s)}
        reasons.append(pair_reason(ctx, p, s, code, params))
    if reasons:
        return reasons
    if any(code is ReasonCode.SLOTS_FULL for code, _ in blocking):
        chosen = [
            ctx.participants[q].name or ctx.participants[q].id
            for q, t in sorted(state.pairs)
            if t == s
        ]
        return [
            Reason(
                ReasonCode.BETTER_FIT_CHOSEN,
                f"{who} could do this shift, but its slots went to people who fit the "
                f"plan better ({', '.join(chosen)}): more filled hours overall, fairer hours, "
                "continuity, preferences or shorter travel",
                None,
                {"chosen": [ctx.participants[q].id for q, t in sorted(state.pairs) if t == s]},
            )
        ]
    return [
        Reason(
            ReasonCode.COULD_BE_ADDED,
            f"{who} could still be added to this shift: no rule stops it",
        )
    ]


def _clashing(ctx: Context, state: PlanState, p: int, s: int) -> list[str]:
    from .rules import intervals_conflict

    out = []
    for t in sorted(state.shifts_of[p]):
        if intervals_conflict(
            ctx.s_start[t],
            ctx.s_end[t],
            ctx.s_start[s],
            ctx.s_end[s],
            ctx.travel_between(ctx.s_site[t], ctx.s_site[s]),
        ):
            out.append(ctx.shifts[t].id)
    return out
