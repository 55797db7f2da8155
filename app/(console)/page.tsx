import { ConsoleApp } from '@/components/console/console-app';

/** `/`: a Server Component shell; everything interactive lives in the client-side ConsoleApp. */
export default function ConsolePage() {
  return <ConsoleApp />;
}
