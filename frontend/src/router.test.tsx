import { describe, expect, it } from 'vitest';
import { matchPath } from './router';

describe('matchPath', () => {
  it('matches static and parameter segments', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/login', '/login')).toEqual({});
    expect(matchPath('/login', '/login/')).toEqual({});
    expect(matchPath('/plans/:id', '/plans/42')).toEqual({ id: '42' });
    expect(matchPath('/plans/:id/units/:unit', '/plans/42/units/k%C3%A1')).toEqual({ id: '42', unit: 'ká' });
    expect(matchPath('/files/*', '/files/a/b')).toEqual({ '*': 'a/b' });
  });
  it('rejects non-matching paths', () => {
    expect(matchPath('/', '/login')).toBeNull();
    expect(matchPath('/plans/:id', '/plans')).toBeNull();
    expect(matchPath('/plans/:id', '/plans/1/extra')).toBeNull();
  });
});
