/** The ohm-js grammar of func_adl text: Python lambda-expression syntax plus short scripts of name bindings. */
import * as ohm from 'ohm-js';

/**
 * Iterative (not left-recursive) rules throughout: binary levels are `X (op X)*` and postfix chains are
 * `Primary Trailer*`, which ohm parses faster and which keep spans simple to compute.
 */
export const FUNC_ADL_GRAMMAR_SOURCE = String.raw`
FuncAdl {
  Script = Stmt* Final? ";"*
  Stmt = Import ";"?                                -- import
       | ident "=" Expr ";"?                        -- assign
  Final = Trailer+                                  -- chain
        | Expr                                      -- expr
  Import = "from" dotted "import" NonemptyListOf<ident, ",">  -- from
         | "import" dotted ("as" ident)?                     -- plain
  dotted = ident ("." ident)*

  Expr = Lambda | Cond
  Lambda = "lambda" ListOf<ident, ","> ":" Expr
  Cond = Or ("if" Or "else" Expr)?
  Or = NonemptyListOf<And, "or">
  And = NonemptyListOf<Not, "and">
  Not = "not" Not                                   -- not
      | Comparison
  Comparison = Sum (compOp Sum)*
  compOp = "==" | "!=" | "<=" | ">=" | "<" | ">" | notIn | inOp
  notIn = "not" space+ "in" ~identPart
  inOp = "in" ~identPart
  Sum = Term (sumOp Term)*
  sumOp = "+" | "-"
  Term = Factor (termOp Factor)*
  termOp = "*" | "//" | "/" | "%"
  Factor = unaryOp Factor                           -- unary
         | Power
  unaryOp = "-" | "+"
  Power = Postfix ("**" Factor)?
  Postfix = Primary Trailer*
  Trailer = "." ident "(" Args ")"                  -- method
          | "." ident                               -- attr
          | "(" Args ")"                            -- call
          | "[" Expr "]"                            -- index
  Args = ListOf<Arg, ","> ","?
  Arg = ident "=" ~"=" Expr                         -- kw
      | Expr                                        -- pos
  Primary = "(" ")"                                 -- unit
          | "(" Comprehension ")"                   -- gen
          | "(" Expr "," ListOf<Expr, ","> ","? ")" -- tuple
          | "(" Expr ")"                            -- paren
          | "[" Comprehension "]"                   -- listcomp
          | "[" ListOf<Expr, ","> ","? "]"          -- list
          | "{" ListOf<DictItem, ","> ","? "}"      -- dict
          | number
          | string
          | constant
          | ident
  Comprehension = Expr "for" ident "in" Or CompIf*
  CompIf = "if" Or
  DictItem = Expr ":" Expr

  constant = ("True" | "False" | "None") ~identPart
  number = digits ("." digit*)? exponent?           -- int
         | "." digits exponent?                     -- frac
  digits = digit (digit | "_")*
  exponent = ("e" | "E") ("+" | "-")? digit+
  string = "'" sqChar* "'"                          -- sq
         | "\"" dqChar* "\""                        -- dq
  sqChar = "\\" any                                 -- esc
         | ~"'" ~"\n" any                           -- plain
  dqChar = "\\" any                                 -- esc
         | ~"\"" ~"\n" any                          -- plain
  keyword = ("lambda" | "if" | "else" | "and" | "or" | "not" | "for" | "in" | "import" | "from" | "as"
             | "True" | "False" | "None") ~identPart
  ident = ~keyword identStart identPart*
  identStart = letter | "_"
  identPart = alnum | "_"
  space += comment | "\\\n"
  comment = "#" (~"\n" any)*
}
`;

let cached: ohm.Grammar | undefined;

/** A grammar from its ohm recipe (`Grammar.toRecipe()`; ohm exports `makeRecipe` without typing it). */
export function fromRecipe(recipe: string): ohm.Grammar {
  return (ohm as unknown as { makeRecipe(r: unknown): ohm.Grammar }).makeRecipe(JSON.parse(recipe));
}

/**
 * The compiled grammar (once per process). The bundled CLI carries the grammar precompiled as an ohm recipe
 * (scripts/build.mjs defines it from this very source), which loads ~10× faster than compiling the source;
 * from the TypeScript sources (tests, tsx) the source is compiled.
 */
export function funcAdlGrammar(): ohm.Grammar {
  const recipe = process.env.HEPQ_FUNC_ADL_RECIPE;
  cached ??= recipe ? fromRecipe(recipe) : ohm.grammar(FUNC_ADL_GRAMMAR_SOURCE);
  return cached!;
}
