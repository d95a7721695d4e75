// Every comment form the Jsonnet spec allows, between and inside expressions.
# A hash comment /* that does not open a block comment
/* A block comment
   over several lines, holding // and # and a lone * and / */
/** A doc-style comment */
/**/
/***/
/****/
/* ** */
/* x **/
/******** x ********/
/*/ a comment starting with a slash */
{
  a: 1, /* x **/ b: 2, /* y */ c: 3,
  d: 1/**/+/***/2/****/+/* */3,
  e: '/* not a comment */ **/ */',
  f: "// nor this # nor this",
  g: |||
    /* text block **/
    # kept
  |||,
  h: @'verbatim /* **/',
  i: [1 /* one **/, 2 // two **/
     , 3 # three **/
  ],
  j: 2 * /** a product **/ 3 % /* a remainder ***/ 4,
  k: local x = 1 /* local **/; x,
}
/* trailing comment **/
