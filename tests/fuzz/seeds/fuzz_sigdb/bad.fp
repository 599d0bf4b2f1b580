[tcp:request]
label = s:x:y:
sig = 7:64:0:*:mss*1001,99:eol+3,nop:zz:2
