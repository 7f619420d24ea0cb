"""SQL for rewards and reward assignments (scoped to one project)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, delete, func, insert, select, update

from openvoucher.adapters.db import prepared
from openvoucher.adapters.db.prepared import PROJECT
from openvoucher.adapters.db.schema.rewards import reward_assignments, rewards
from openvoucher.loyalty.model import Reward, RewardAssignment


def _reward(row: RowMapping) -> Reward:
    attrs = row["attrs"]
    return Reward(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        stock=None if row["stock"] is None else int(row["stock"]),
        redeemed=int(row["redeemed"]),
        parameters=attrs["parameters"],
        metadata=attrs.get("metadata") or {},
        attributes=attrs.get("attributes"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def reward_columns(reward: Reward) -> dict[str, Any]:
    """The columns of a reward (its free-form parts in ``attrs``)."""
    attrs: dict[str, Any] = {"parameters": reward.parameters, "metadata": reward.metadata}
    if reward.attributes is not None:
        attrs["attributes"] = reward.attributes
    return {
        "id": reward.id,
        "name": reward.name,
        "type": reward.type,
        "stock": reward.stock,
        "redeemed": reward.redeemed,
        "attrs": attrs,
        "created_at": reward.created_at,
        "updated_at": reward.updated_at,
    }


def _assignment(row: RowMapping | dict[str, Any]) -> RewardAssignment:
    attrs = row["attrs"]
    return RewardAssignment(
        id=row["id"],
        reward_id=row["reward_id"],
        campaign_id=row["campaign_id"],
        points=None if row["points"] is None else int(row["points"]),
        auto_redeem=bool(attrs.get("auto_redeem")),
        validation_rules=list(attrs.get("validation_rules") or []),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def assignment_columns(offer: RewardAssignment) -> dict[str, Any]:
    """The columns of an assignment (``auto_redeem`` and ``validation_rules`` in ``attrs``)."""
    return {
        "id": offer.id,
        "reward_id": offer.reward_id,
        "campaign_id": offer.campaign_id,
        "points": offer.points,
        "attrs": {"auto_redeem": offer.auto_redeem, "validation_rules": offer.validation_rules},
        "created_at": offer.created_at,
        "updated_at": offer.updated_at,
    }


class RewardRepository:
    """Rewards and their assignments to loyalty programmes."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, reward: Reward) -> None:
        """Store a new reward."""
        columns = reward_columns(reward)
        self.conn.execute(insert(rewards).values(project_id=self.project_id, **columns))

    def get(self, reward_id: str, *, lock: bool = False) -> Reward | None:
        """One reward by id (``lock``: FOR UPDATE on PostgreSQL)."""
        query = select(rewards).where(
            rewards.c.project_id == self.project_id, rewards.c.id == reward_id
        )
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        found = self.conn.execute(query).mappings().first()
        return _reward(found) if found else None

    def save(self, reward: Reward) -> None:
        """Write a changed reward (every column but its id)."""
        columns = reward_columns(reward)
        del columns["id"]
        self.update(reward.id, columns)

    def update(self, reward_id: str, values: dict[str, Any]) -> None:
        """Change columns of a reward."""
        self.conn.execute(
            update(rewards)
            .where(rewards.c.project_id == self.project_id, rewards.c.id == reward_id)
            .values(**values)
        )

    def add_redeemed(self, reward_id: str, delta: int) -> None:
        """Count ``delta`` more (or fewer) redemptions of the reward."""
        self.update(reward_id, {"redeemed": rewards.c.redeemed + delta})

    def delete(self, reward_id: str) -> None:
        """Remove a reward and its assignments."""
        scoped = reward_assignments.c.project_id == self.project_id
        self.conn.execute(
            delete(reward_assignments).where(scoped, reward_assignments.c.reward_id == reward_id)
        )
        self.conn.execute(
            delete(rewards).where(
                rewards.c.project_id == self.project_id, rewards.c.id == reward_id
            )
        )

    def page(
        self, *, limit: int, offset: int, assignment_id: str | None = None
    ) -> tuple[list[Reward], int]:
        """A page of rewards (oldest first) and their number; ``assignment_id`` narrows to
        the reward of that assignment."""
        conditions = [rewards.c.project_id == self.project_id]
        if assignment_id is not None:
            owner = select(reward_assignments.c.reward_id).where(
                reward_assignments.c.project_id == self.project_id,
                reward_assignments.c.id == assignment_id,
            )
            conditions.append(rewards.c.id.in_(owner.scalar_subquery()))
        query = select(rewards).where(*conditions).order_by(rewards.c.created_at, rewards.c.id)
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        total = self.conn.execute(select(func.count()).select_from(rewards).where(*conditions))
        return [_reward(r) for r in rows], int(total.scalar_one())

    def by_ids(self, ids: list[str]) -> dict[str, Reward]:
        """Rewards by id."""
        if not ids:
            return {}
        query = select(rewards).where(
            rewards.c.project_id == self.project_id, rewards.c.id.in_(ids)
        )
        return {r["id"]: _reward(r) for r in self.conn.execute(query).mappings()}


class AssignmentRepository:
    """Reward assignments: a reward offered by a programme for a points cost."""

    def __init__(self, conn: Connection, project_id: str) -> None:
        self.conn = conn
        self.project_id = project_id

    def insert(self, offer: RewardAssignment) -> None:
        """Store a new assignment."""
        columns = assignment_columns(offer)
        self.conn.execute(insert(reward_assignments).values(project_id=self.project_id, **columns))

    def get(self, assignment_id: str) -> RewardAssignment | None:
        """One assignment by id."""
        query = select(reward_assignments).where(
            reward_assignments.c.project_id == self.project_id,
            reward_assignments.c.id == assignment_id,
        )
        found = self.conn.execute(query).mappings().first()
        return _assignment(found) if found else None

    def of_reward_in(self, reward_id: str, campaign_id: str) -> RewardAssignment | None:
        """The assignment of a reward to a programme, if any."""
        query = select(reward_assignments).where(
            reward_assignments.c.project_id == self.project_id,
            reward_assignments.c.reward_id == reward_id,
            reward_assignments.c.campaign_id == campaign_id,
        )
        found = self.conn.execute(query).mappings().first()
        return _assignment(found) if found else None

    def save(self, offer: RewardAssignment) -> None:
        """Write a changed assignment (every column but its id)."""
        columns = assignment_columns(offer)
        del columns["id"]
        self.update(offer.id, columns)

    def update(self, assignment_id: str, values: dict[str, Any]) -> None:
        """Change columns of an assignment."""
        self.conn.execute(
            update(reward_assignments)
            .where(
                reward_assignments.c.project_id == self.project_id,
                reward_assignments.c.id == assignment_id,
            )
            .values(**values)
        )

    def delete(self, assignment_id: str) -> None:
        """Remove an assignment."""
        self.conn.execute(
            delete(reward_assignments).where(
                reward_assignments.c.project_id == self.project_id,
                reward_assignments.c.id == assignment_id,
            )
        )

    def page(
        self,
        *,
        limit: int,
        offset: int,
        reward_id: str | None = None,
        campaign_ids: list[str] | None = None,
        assignment_id: str | None = None,
    ) -> tuple[list[RewardAssignment], int]:
        """A page of assignments (oldest first) and their number, narrowed by reward,
        programmes or id."""
        c = reward_assignments.c
        conditions = [c.project_id == self.project_id]
        if reward_id is not None:
            conditions.append(c.reward_id == reward_id)
        if campaign_ids is not None:
            conditions.append(c.campaign_id.in_(campaign_ids))
        if assignment_id is not None:
            conditions.append(c.id == assignment_id)
        query = select(reward_assignments).where(*conditions).order_by(c.created_at, c.id)
        rows = self.conn.execute(query.limit(limit).offset(offset)).mappings()
        total = self.conn.execute(
            select(func.count()).select_from(reward_assignments).where(*conditions)
        )
        return [_assignment(r) for r in rows], int(total.scalar_one())

    def of_campaigns(self, campaign_ids: list[str]) -> list[RewardAssignment]:
        """Every assignment of the programmes (oldest first)."""
        if not campaign_ids:
            return []
        c = reward_assignments.c
        query = (
            select(reward_assignments)
            .where(c.project_id == self.project_id, c.campaign_id.in_(campaign_ids))
            .order_by(c.created_at, c.id)
        )
        return [_assignment(r) for r in self.conn.execute(query).mappings()]

    def of_campaign(self, campaign_id: str) -> list[RewardAssignment]:
        """Every assignment of one programme (oldest first), by a statement built once: the
        auto-redeem check runs it after every points addition."""
        params = {PROJECT: self.project_id, "_campaign": campaign_id}
        return [_assignment(r) for r in prepared.all_rows(self.conn, OF_CAMPAIGN, params)]


OF_CAMPAIGN = (
    select(reward_assignments)
    .where(
        reward_assignments.c.project_id == bindparam(PROJECT),
        reward_assignments.c.campaign_id == bindparam("_campaign"),
    )
    .order_by(reward_assignments.c.created_at, reward_assignments.c.id)
)
"""``of_campaign``'s statement (``adapters/db/prepared.py``)."""
