import React, { useMemo, useState } from "react";

type Props = { cents: number; currency: string; onSale?: boolean; compact?: boolean };

const FRACTION_DIGITS = 2;

function formatAmount(cents: number, currency: string, locale: string) {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: FRACTION_DIGITS,
  }).format(cents / 100);
}

export function PriceTag({ cents, currency, onSale = false, compact = false }: Props) {
  const [hovered, setHovered] = useState(false);
  const locale = navigator.language || "en-US";
  const amount = useMemo(() => formatAmount(cents, currency, locale), [cents, currency, locale]);
  const discounted = onSale ? Math.round(cents * 0.85) : cents;

  return (
    <span
      className={compact ? "price-tag price-tag--compact" : "price-tag"}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      style={{
        color: onSale ? "#16a34a" : "var(--color-primary)",
        marginLeft: 4,
        borderBottom: hovered ? "1px dashed #94a3b8" : "none",
      }}
    >
      {amount}
      {discounted < cents && (
        <small style={{ opacity: 0.7 }}> (was {formatAmount(discounted, currency, locale)})</small>
      )}
    </span>
  );
}
