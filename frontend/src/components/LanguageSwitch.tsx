import { LANGS, setLang, useLang, useT, type Lang } from '../i18n';

/** Two toggle buttons, VI / EN; the choice is kept in localStorage. */
export function LanguageSwitch() {
  const t = useT();
  const lang = useLang();
  const names: Record<Lang, { short: string; full: string; htmlLang: string }> = {
    vi: { short: t('lang.viShort'), full: t('lang.vi'), htmlLang: 'vi' },
    en: { short: t('lang.enShort'), full: t('lang.en'), htmlLang: 'en' },
  };
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className="lang-button"
          aria-pressed={lang === l}
          aria-label={names[l].full}
          lang={names[l].htmlLang}
          title={names[l].full}
          onClick={() => setLang(l)}
        >
          {names[l].short}
        </button>
      ))}
    </div>
  );
}
