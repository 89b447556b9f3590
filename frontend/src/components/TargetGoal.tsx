import type { Target } from '../api';
import { useLang, useT } from '../i18n';
import { directionKey, directionSymbol, formatTargetValue } from '../targets';

/** "≥ 85%" with the direction spelled out for screen readers and on hover. */
export function TargetGoal({ target }: { target: Target }) {
  const t = useT();
  const lang = useLang();
  const word = t(directionKey(target.direction));
  return (
    <span className="goal" data-direction={target.direction ?? 'exactly'}>
      <span aria-hidden="true" title={word}>
        {directionSymbol(target.direction)}
      </span>
      <span className="sr-only">{word}</span>{' '}
      {formatTargetValue(target, lang)}
    </span>
  );
}
