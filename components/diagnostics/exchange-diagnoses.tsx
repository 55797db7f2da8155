'use client';

import { DiagnosisList } from './diagnosis-list';
import { useExchangeDiagnoses } from './use-exchange-diagnoses';

/** The diagnoses of one recorded exchange, e.g. the token request behind an error card. */
export function ExchangeDiagnoses({ exchangeId, className }: { exchangeId: string | undefined; className?: string }) {
  const diagnoses = useExchangeDiagnoses(exchangeId);
  if (diagnoses.length === 0) return null;
  return (
    <div className={className}>
      <DiagnosisList diagnoses={diagnoses} />
    </div>
  );
}
