local values = { data: 'the value of data' };
function(foo, bar, baz) values[foo]
