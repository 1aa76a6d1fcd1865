"""When complaints arrive: weekday-heavy, busier around the shopping festivals and in summer."""

from __future__ import annotations

import datetime as dt
import random
from itertools import accumulate

# Relative volume by month: the 618 (June) and Double 11 (November) festivals, summer
# air-conditioner season, and a quiet Spring Festival.
_MONTH_WEIGHT = {1: 0.85, 2: 0.7, 3: 0.9, 4: 0.95, 5: 1.0, 6: 1.35, 7: 1.3, 8: 1.2,
                 9: 0.95, 10: 1.0, 11: 1.5, 12: 1.1}
_WEEKDAY_WEIGHT = (1.15, 1.1, 1.05, 1.05, 1.0, 0.5, 0.4)  # Monday first: the weekend backlog
_HOUR_WEIGHT = {8: 1, 9: 4, 10: 7, 11: 7, 12: 4, 13: 5, 14: 7, 15: 7, 16: 6, 17: 5, 18: 3,
                19: 3, 20: 3, 21: 2, 22: 1}


def first_day(end: dt.date, months: int) -> dt.date:
    """The first day of the first of ``months`` months ending with ``end``'s month."""
    index = end.year * 12 + end.month - 1 - (max(months, 1) - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _day_weight(day: dt.date) -> float:
    weight = _MONTH_WEIGHT[day.month] * _WEEKDAY_WEIGHT[day.weekday()]
    # Complaints follow the festival deliveries by a few days.
    if (day.month, 20 <= day.day <= 30) == (6, True) or (day.month == 11 and 13 <= day.day <= 25):
        weight *= 1.6
    return weight


def received_times(rng: random.Random, n: int, first: dt.date, end: dt.date
                   ) -> list[dt.datetime]:
    """``n`` moments from ``first`` to ``end``, in order."""
    days = [first + dt.timedelta(d) for d in range((end - first).days + 1)]
    day_cum = list(accumulate(_day_weight(d) for d in days))
    hours = list(_HOUR_WEIGHT)
    hour_cum = list(accumulate(_HOUR_WEIGHT.values()))
    picked = rng.choices(days, cum_weights=day_cum, k=n)
    picked_hours = rng.choices(hours, cum_weights=hour_cum, k=n)
    times = [dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
             for day, hour in zip(picked, picked_hours, strict=True)]
    return sorted(times)
