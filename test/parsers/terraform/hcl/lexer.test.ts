import { lex, Tok } from '../../../../src/parsers/terraform/hcl/lexer';

/** Each token as `Type "text"`, and the codes of the problems reported. */
function tokensOf(text: string): { tokens: string[]; problems: string[] } {
  const stream = lex(text);
  const tokens: string[] = [];
  for (let i = 0; i < stream.count; i++) tokens.push(`${Tok[stream.types[i]!]} ${JSON.stringify(text.slice(stream.starts[i], stream.ends[i]))}`);
  return { tokens, problems: stream.problems.map((problem) => problem.code) };
}

const UNTERMINATED = 'parse/hcl-unterminated-string';

// Plain strings are read without a quoted-mode frame (a fast path); these pin the tokens both ways must give.
describe('HCL lexer: quoted strings', () => {
  it.each<[string, string[], string[]]>([
    ['a = "tcp"', ['OQuote "\\""', 'QuotedLit "tcp"', 'CQuote "\\""'], []],
    ['a = ""', ['OQuote "\\""', 'CQuote "\\""'], []],
    ['a = "say \\"hi\\""', ['OQuote "\\""', 'QuotedLit "say \\\\\\"hi\\\\\\""', 'CQuote "\\""'], []],
    ['a = "$${x} %%{y} a$b%c"', ['OQuote "\\""', 'QuotedLit "$${x} %%{y} a$b%c"', 'CQuote "\\""'], []],
    ['a = "${var.x}/24"', ['OQuote "\\""', 'TemplateInterp "${"', 'Ident "var"', 'Dot "."', 'Ident "x"', 'TemplateSeqEnd "}"', 'QuotedLit "/24"', 'CQuote "\\""'], []],
    ['a = "10.${b}.0.0/16"', ['OQuote "\\""', 'QuotedLit "10."', 'TemplateInterp "${"', 'Ident "b"', 'TemplateSeqEnd "}"', 'QuotedLit ".0.0/16"', 'CQuote "\\""'], []],
    ['a = "${"inner"}"', ['OQuote "\\""', 'TemplateInterp "${"', 'OQuote "\\""', 'QuotedLit "inner"', 'CQuote "\\""', 'TemplateSeqEnd "}"', 'CQuote "\\""'], []],
    ['a = "open\nb = 1', ['OQuote "\\""', 'QuotedLit "open"', 'CQuote ""', 'Newline "\\n"', 'Ident "b"', 'Equal "="', 'Number "1"'], [UNTERMINATED]],
    ['a = "x\r\nb = "y"', ['OQuote "\\""', 'QuotedLit "x"', 'CQuote ""', 'Newline "\\r\\n"', 'Ident "b"', 'Equal "="', 'OQuote "\\""', 'QuotedLit "y"', 'CQuote "\\""'], [UNTERMINATED]],
    ['a = "tail\\', ['OQuote "\\""', 'QuotedLit "tail\\\\"', 'CQuote ""'], [UNTERMINATED]],
    ['a = "ends', ['OQuote "\\""', 'QuotedLit "ends"', 'CQuote ""'], [UNTERMINATED]],
    ['a = "x\\\n"', ['OQuote "\\""', 'QuotedLit "x\\\\"', 'CQuote ""', 'Newline "\\n"', 'OQuote "\\""', 'CQuote ""'], [UNTERMINATED, UNTERMINATED]],
  ])('%j', (text, tokens, problems) => {
    expect(tokensOf(text)).toEqual({ tokens: ['Ident "a"', 'Equal "="', ...tokens, 'EOF ""'], problems });
  });

  it('reads the strings of a list and of a heredoc interpolation', () => {
    expect(tokensOf('a = ["x", "", "y"]').tokens).toEqual([
      'Ident "a"', 'Equal "="', 'OBrack "["', 'OQuote "\\""', 'QuotedLit "x"', 'CQuote "\\""', 'Comma ","', 'OQuote "\\""', 'CQuote "\\""',
      'Comma ","', 'OQuote "\\""', 'QuotedLit "y"', 'CQuote "\\""', 'CBrack "]"', 'EOF ""',
    ]);
    expect(tokensOf('a = <<EOT\n"q" ${"in"}\nEOT\n').tokens).toEqual([
      'Ident "a"', 'Equal "="', 'OHeredoc "<<EOT\\n"', 'StringLit "\\"q\\" "', 'TemplateInterp "${"', 'OQuote "\\""', 'QuotedLit "in"',
      'CQuote "\\""', 'TemplateSeqEnd "}"', 'StringLit "\\n"', 'CHeredoc "EOT"', 'Newline "\\n"', 'EOF ""',
    ]);
  });
});
