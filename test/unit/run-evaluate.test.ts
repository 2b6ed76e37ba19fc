// Debugger expressions over a stopped run, and stepping over / out of calls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from './helpers/c-run';

const SRC = `#define DOUBLE(x) ((x) * 2)
struct node { int value; struct node *next; };
struct node tail = { 2, NULL };
struct node head = { 1, &tail };
u64 table[4] = { 10, 20, 30, 40 };
static int leaf(int x)
{
	int y = x + 1;
	return y;
}
static int mid(int a)
{
	int r = leaf(a);
	return r * 10;
}
void scenario(void)
{
	int a = 5;
	struct node *p = &head;
	a = mid(a);
	a = a + 1;
}
`;

async function stoppedIn(fn: string) {
  const r = await load(SRC);
  while (r.frames()[0]?.name !== fn) assert.ok(r.step(), `reaches ${fn}`);
  return r;
}

describe('evaluating C expressions over the stopped state', () => {
  it('reads locals of the chosen frame, globals, members, arrays and macros', async () => {
    const r = await stoppedIn('leaf');
    const [leaf, mid, scen] = r.frames();
    assert.equal(r.evaluate('x').value, '5');
    assert.equal(r.evaluate('x * 3 + DOUBLE(x)').value, '25');
    assert.equal(r.evaluate('a', mid.id).value, '5');
    assert.throws(() => r.evaluate('a', leaf.id), /undeclared identifier 'a'/);
    assert.equal(r.evaluate('p->next->value', scen.id).value, '2');
    assert.equal(r.evaluate('head.next == &tail').value, '1');
    assert.equal(r.evaluate('table[2] + sizeof(table)').value, '62');
    assert.equal(r.evaluate('RMI_ERROR_INPUT').value, '1');
    const node = r.evaluate('*p', scen.id);
    assert.equal(node.type, 'struct node');
    assert.deepEqual(node.children!().map((c) => `${c.name}=${c.value}`), ['value=1', `next=${r.evaluate('&tail').value}`]);
    assert.equal(r.evaluateCondition('x == 5'), true);
    assert.equal(r.evaluateCondition('x > 5'), false);
  });

  it('refuses what would change the program and reports bad expressions', async () => {
    const r = await stoppedIn('leaf');
    assert.throws(() => r.evaluate('x = 3'), /assignment would change the program/);
    assert.throws(() => r.evaluate('x++'), /would change the program/);
    assert.throws(() => r.evaluate('leaf(1)'), /function call would change the program/);
    assert.throws(() => r.evaluate('x +'), /not an expression/);
    assert.throws(() => r.evaluate('nope'), /undeclared identifier 'nope'/);
    assert.throws(() => r.evaluate('*(int *)0'), /NULL pointer dereference/);
    assert.equal(r.evaluate('x').value, '5', 'the state is unchanged');
  });

  it('lists the lines a breakpoint can bind to', async () => {
    const r = await load(SRC);
    assert.deepEqual(r.statementLines('test.realm.c'), [8, 9, 10, 13, 14, 15, 18, 19, 20, 21, 22]);
    assert.deepEqual(r.statementLines('other.c'), []);
  });

  it('steps over a call and out of a function', async () => {
    const r = await load(SRC);
    r.step();
    r.step(); // before a = mid(a)
    assert.equal(r.frames()[0].range.line, 20);
    r.stepOver();
    assert.deepEqual([r.frames()[0].name, r.frames()[0].range.line], ['scenario', 21]);
    assert.equal(r.evaluate('a').value, '60');
    const again = await stoppedIn('leaf');
    again.stepOut();
    assert.deepEqual([again.frames()[0].name, again.frames().length], ['mid', 2]);
  });
});
