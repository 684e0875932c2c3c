"""Orders and products of the test filler's line (master data as the server sends it)."""

from __future__ import annotations

from datetime import date

from lineside.domain.master_data import (
    ChangeoverStandard,
    Operation,
    OrderRecord,
    ProductRecord,
)
from lineside.station.ledger import Ledger


def order(order_id: str, product: str, quantity: int = 1000, **more: object) -> OrderRecord:
    """An order of Line1 with a fill operation at the test filler and a pack one elsewhere."""
    return OrderRecord.model_validate(
        {
            "order_id": order_id,
            "line": "Line1",
            "product": product,
            "quantity": quantity,
            "operations": [
                Operation(operation_id="0010", description="Fill", station_id="L1-FILLER"),
                Operation(operation_id="0030", description="Pack", station_id="L1-PACKER"),
            ],
            **more,
        }
    )


ORDERS = [
    order("4711", "Water", 1000, due=date(2026, 11, 22)),
    order("4712", "Juice", 500, due=date(2026, 11, 23)),
    order("4713", "Water", 800, status="planned"),
]
PRODUCTS = [
    ProductRecord(product_id="Water", name="Still water 0.5 l", changeover_minutes=20),
    ProductRecord(
        product_id="Juice",
        name="Apple juice 0.5 l",
        changeover_minutes=30,
        changeover_from=(ChangeoverStandard(from_product="Water", minutes=45),),
    ),
]


def give_orders(ledger: Ledger, orders: list[OrderRecord] = ORDERS) -> None:
    """Put the plant's orders and products into the ledger, as master data does."""
    ledger.orders = {o.order_id: o for o in orders}
    ledger.products = {p.product_id: p for p in PRODUCTS}
