// Questionnaire v1 (SECURITY.md 6.2) built from the report form, with the same checks as the
// server's QuestionnaireParser. Returns {json} or {errors: [field names]}.
const SHORT = 200;
const NARRATIVE = 20000;

const cps = (s) => Array.from(s).length;
const badText = (s, max) => cps(s) > max || /[\u0000-\u0008\u000b-\u001f]/.test(s);

export function buildQuestionnaire(get, getAll, language, today = new Date()) {
  const errors = [];
  const text = (name, max = SHORT) => {
    const v = (get(name) || '').replace(/\r\n?/g, '\n');
    if (badText(v, max)) {
      errors.push(name);
      return '';
    }
    return v;
  };
  const list = (name) => [...new Set(getAll(name))];
  const opt = (name) => get(name) || null;
  const count = (name) => {
    const v = get(name) || '';
    if (v === '') return null;
    if (!/^[0-9]{1,4}$/.test(v)) {
      errors.push(name);
      return null;
    }
    return parseInt(v, 10);
  };
  let date = get('date') || null;
  if (date) {
    const tomorrow = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)).toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date + 'T00:00:00Z'))
      || new Date(date + 'T00:00:00Z').toISOString().slice(0, 10) !== date || date < '1990-01-01' || date > tomorrow) {
      errors.push('date');
      date = null;
    }
  }
  const victims = count('victims');
  const minorsCount = count('minors_count');
  if (victims !== null && minorsCount !== null && minorsCount > victims) errors.push('minors_count');
  const q = {
    version: 1,
    language,
    what: list('what'),
    whatOther: text('what_other'),
    who: list('who'),
    whoOther: text('who_other'),
    identifying: { uniform: text('uniform'), badge: text('badge'), plates: text('plates'), unit: text('unit') },
    where: { state: opt('state'), place: text('place'), placeKind: opt('place_kind') },
    when: { date, approximate: text('when_approx') },
    victims: { count: victims, minors: opt('minors'), minorsCount },
    narrative: text('narrative', NARRATIVE),
    wants: list('wants'),
  };
  if (errors.length === 0 && q.what.length === 0 && q.narrative.trim() === '') errors.push('empty');
  return errors.length ? { errors } : { json: new TextEncoder().encode(JSON.stringify(q)) };
}
